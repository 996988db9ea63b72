package dev.streams.spi;

import dev.streams.StreamChannel;
import dev.streams.StreamMonitor;
import dev.streams.StreamObserver;
import dev.streams.StreamOperation;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers attached to one adapter, shared by the adapter and its dispatcher. With none,
 * {@link #active()} is null and callers skip measuring altogether: no clock read, no allocation.
 * With some, it tells each in turn; an observer that throws is logged (once) and the others are told.
 */
final class Observers implements StreamObserver {

  private static final Logger LOG = LoggerFactory.getLogger(Observers.class);
  private static final StreamObserver[] NONE = {};

  private volatile StreamObserver[] observers = NONE;
  private volatile boolean loggedFailure;

  /** @return the observers to tell, or null if none is attached */
  StreamObserver active() {
    return observers.length == 0 ? null : this;
  }

  StreamMonitor.Registration add(StreamObserver observer) {
    if (observer == null) {
      throw new IllegalArgumentException("observer must not be null");
    }
    synchronized (this) {
      StreamObserver[] next = Arrays.copyOf(observers, observers.length + 1);
      next[next.length - 1] = observer;
      observers = next;
    }
    return () -> remove(observer);
  }

  private synchronized void remove(StreamObserver observer) {
    StreamObserver[] current = observers;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == observer) {
        StreamObserver[] next = new StreamObserver[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        observers = next;
        return;
      }
    }
  }

  private void failed(StreamObserver observer, RuntimeException e) {
    if (!loggedFailure) {
      loggedFailure = true;
      LOG.warn("A stream observer ({}) threw; it is still told, and this is logged once", observer, e);
    }
  }

  @Override
  public void operation(StreamOperation operation, long nanos, Throwable failure) {
    for (StreamObserver o : observers) {
      try {
        o.operation(operation, nanos, failure);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void groupRead(StreamOperation operation, int items) {
    for (StreamObserver o : observers) {
      try {
        o.groupRead(operation, items);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void eventReceived(StreamChannel.Kind kind) {
    for (StreamObserver o : observers) {
      try {
        o.eventReceived(kind);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void eventDelivered(StreamChannel.Kind kind, long handlerNanos, Throwable failure) {
    for (StreamObserver o : observers) {
      try {
        o.eventDelivered(kind, handlerNanos, failure);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void eventsDropped(StreamChannel.Kind kind, int events) {
    for (StreamObserver o : observers) {
      try {
        o.eventsDropped(kind, events);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void sync(StreamChannel.Kind kind, String reason) {
    for (StreamObserver o : observers) {
      try {
        o.sync(kind, reason);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void reconnected() {
    for (StreamObserver o : observers) {
      try {
        o.reconnected();
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void gaveUp(String reason) {
    for (StreamObserver o : observers) {
      try {
        o.gaveUp(reason);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }

  @Override
  public void commandsWritten(int commands) {
    for (StreamObserver o : observers) {
      try {
        o.commandsWritten(commands);
      } catch (RuntimeException e) {
        failed(o, e);
      }
    }
  }
}
