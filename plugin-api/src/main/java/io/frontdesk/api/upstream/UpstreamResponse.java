package io.frontdesk.api.upstream;

import io.frontdesk.api.http.HeaderFields;
import io.vertx.core.buffer.Buffer;

/** The whole response to a subrequest. */
public interface UpstreamResponse {

  /** @return the status code */
  int status();

  /** @return the response header fields */
  HeaderFields headers();

  /** @return the body; empty when there was none */
  Buffer body();

  /** @return the target that answered, as {@code host:port} */
  String targetAddress();
}
