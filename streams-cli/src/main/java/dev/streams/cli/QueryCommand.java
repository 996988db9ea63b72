package dev.streams.cli;

import dev.streams.StreamAdapter;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", description = "Filter, sort and page the items of a group.")
final class QueryCommand extends StreamsCommand {

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Option(names = "--where", paramLabel = "FIELD=VALUE",
      description = "Equality filter; VALUE is parsed as JSON where it parses (42, true, null, \"x\"), else taken as a string")
  List<String> where = new ArrayList<>();

  @Option(names = "--order-by", paramLabel = "FIELD",
      description = "Sort by this top-level field (default: by id)")
  String orderBy;

  @Option(names = "--desc", description = "Sort descending")
  boolean descending;

  @Option(names = "--limit", paramLabel = "N", description = "Return at most N items")
  Integer limit;

  @Option(names = "--offset", paramLabel = "N", description = "Skip the first N matches")
  Integer offset;

  @Override
  int run(StreamAdapter streams) {
    Query.Builder query = Query.builder();
    for (String filter : where) {
      int equals = filter.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("--where needs FIELD=VALUE, but was '" + filter + "'");
      }
      query.where(filter.substring(0, equals), jsonOrString(filter.substring(equals + 1)));
    }
    if (orderBy != null) {
      query.orderBy(orderBy, descending ? SortDirection.DESC : SortDirection.ASC);
    } else if (descending) {
      throw new IllegalArgumentException("--desc needs --order-by");
    }
    if (limit != null) {
      query.limit(limit);
    }
    if (offset != null) {
      query.offset(offset);
    }
    output().documents(streams.query(groupId, query.build()));
    return 0;
  }
}
