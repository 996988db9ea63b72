package dev.streams;

/** The operations of a {@link StreamAdapter} that a {@link StreamObserver} is told about. */
public enum StreamOperation {
  /** {@link StreamAdapter#set}. */
  SET("set"),
  /** {@link StreamAdapter#get}. */
  GET("get"),
  /** {@link StreamAdapter#delete}. */
  DELETE("delete"),
  /** {@link StreamAdapter#getGroup}. */
  GET_GROUP("getGroup"),
  /** {@link StreamAdapter#query}. */
  QUERY("query"),
  /** {@link StreamAdapter#clear}. */
  CLEAR("clear"),
  /** {@link StreamAdapter#send}. */
  SEND("send");

  private final String methodName;

  StreamOperation(String methodName) {
    this.methodName = methodName;
  }

  /** @return the name of the adapter method, e.g. {@code getGroup}: a stable tag value */
  public String methodName() {
    return methodName;
  }
}
