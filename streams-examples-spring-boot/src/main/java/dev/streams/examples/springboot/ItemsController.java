package dev.streams.examples.springboot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.streams.StreamAdapter;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Items over HTTP. Documents are answered as the library's own JSON text: Spring MVC on Boot 4 maps
 * bodies with Jackson 3, the library's documents are Jackson 2 trees.
 */
@RestController
@RequestMapping("/items")
public class ItemsController {

  private final StreamAdapter streams;

  /** @param streams the auto-configured adapter */
  public ItemsController(StreamAdapter streams) {
    this.streams = streams;
  }

  /**
   * @param group the group
   * @param id the item
   * @param data the item's fields
   * @return the stored document; every instance's subscribers get a {@code create} or {@code update}
   */
  @PutMapping(path = "/{group}/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public String put(@PathVariable("group") String group, @PathVariable("id") String id,
      @RequestBody Map<String, Object> data) {
    return streams.set(group, id, data).toString();
  }

  /**
   * @param group the group
   * @param id the item
   * @return the document, or 404
   */
  @GetMapping(path = "/{group}/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> get(@PathVariable("group") String group, @PathVariable("id") String id) {
    return streams.get(group, id).map(document -> ResponseEntity.ok(document.toString()))
        .orElseGet(() -> ResponseEntity.notFound().build());
  }

  /**
   * @param group the group
   * @return every item of the group, ordered by id
   */
  @GetMapping(path = "/{group}", produces = MediaType.APPLICATION_JSON_VALUE)
  public String group(@PathVariable("group") String group) {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    streams.getGroup(group).forEach(items::add);
    return items.toString();
  }
}
