package io.frontdesk.pluginhost;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.filter.LocalResponseException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/** Filters written against the plugin API for the platform's tests, registered in-process. */
final class TestFilters {

  private TestFilters() {
  }

  /** Appends its name to request header x-order and response header x-order-back. */
  static final class Tag implements FilterFactory {
    final String name;
    final int priority;
    final AtomicInteger requests = new AtomicInteger();

    Tag(String name, int priority) {
      this.name = name;
      this.priority = priority;
    }

    @Override
    public int defaultPriority() {
      return priority;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          requests.incrementAndGet();
          String prev = ex.request().headers().get("x-order");
          ex.request().headers().set("x-order", prev == null ? name : prev + "," + name);
          return FilterResult.proceed();
        }

        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          String prev = ex.response().headers().get("x-order-back");
          ex.response().headers().set("x-order-back", prev == null ? name : prev + "," + name);
          return FilterResult.proceed();
        }
      };
    }
  }

  /** Answers 418 itself ("teapot"), with its own body. */
  static final class Teapot implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 150;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          return FilterResult.respond(LocalResponse.of(418, "brewing").header("content-type", "text/plain")
              .body(Buffer.buffer("I'm a teapot")));
        }
      };
    }
  }

  /** Fails in the way its config says: {"mode": "throw" | "fail" | "hang" | "response-throw"}. */
  static final class Broken implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 300;
    }

    @Override
    public JsonObject configSchema() {
      return new JsonObject().put("type", "object").put("properties", new JsonObject()
          .put("mode", new JsonObject().put("enum", new JsonArray().add("throw").add("fail").add("hang")
              .add("response-throw"))));
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      String mode = config.getString("mode", "throw");
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          return switch (mode) {
            case "throw" -> throw new IllegalStateException("boom");
            case "fail" -> Future.failedFuture("async boom");
            case "hang" -> Promise.<FilterResult>promise().future();
            default -> FilterResult.proceed();
          };
        }

        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          if (mode.equals("response-throw")) {
            throw new IllegalStateException("boom on the way back");
          }
          return FilterResult.proceed();
        }
      };
    }
  }

  /** Decides on a worker thread (executeBlocking) and records a fact in the attributes. */
  static final class Slowpoke implements FilterFactory {
    static final AttributeKey<String> WHERE = AttributeKey.of("slowpoke.thread", String.class);

    @Override
    public int defaultPriority() {
      return 400;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          return ex.executeBlocking(() -> {
            Thread.sleep(20);
            return Thread.currentThread().getName();
          }).compose(worker -> {
            ex.attributes().put(WHERE, worker);
            ex.request().headers().set("x-decided-on", worker);
            ex.request().headers().set("x-continued-on", Thread.currentThread().getName());
            return FilterResult.proceed();
          });
        }
      };
    }
  }

  /** Upper-cases response bodies chunk by chunk; refuses request bodies over {"maxRequestBytes"}. */
  static final class Shout implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 900;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      long max = config.getLong("maxRequestBytes", Long.MAX_VALUE);
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          ex.transformRequestBody(new BodyTransformer() {
            long seen;

            @Override
            public Buffer transform(Buffer chunk) {
              seen += chunk.length();
              if (seen > max) {
                throw new LocalResponseException(LocalResponse.of(413, "body over " + max + " bytes"));
              }
              return chunk.copy();
            }

            @Override
            public Buffer finish() {
              return Buffer.buffer("!");
            }
          });
          return FilterResult.proceed();
        }

        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          ex.response().headers().set("x-shouted", "yes");
          ex.transformResponseBody(new BodyTransformer() {
            @Override
            public Buffer transform(Buffer chunk) {
              return Buffer.buffer(chunk.toString().toUpperCase(java.util.Locale.ROOT));
            }

            @Override
            public Buffer finish() {
              return Buffer.buffer();
            }
          });
          return FilterResult.proceed();
        }
      };
    }
  }

  /** Its first {@code create} (the trial when a binding is saved) blocks until the test releases it. */
  static final class BlockingCreate implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 100;
    }

    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    final AtomicInteger creates = new AtomicInteger();
    volatile boolean firstDone;

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      if (creates.incrementAndGet() == 1) {
        entered.countDown();
        try {
          release.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        firstDone = true;
      }
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          return FilterResult.proceed();
        }
      };
    }
  }

  /**
   * Holds its event loop (a blocking sleep, as a careless filter would) for {@code holdMs} on
   * requests that carry {@code x-hog: 1}; others pass at once.
   */
  static final class Hog implements FilterFactory {
    final AtomicInteger closes = new AtomicInteger();
    @Override
    public int defaultPriority() {
      return 100;
    }

    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      long hold = config.getLong("holdMs", 3000L);
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          calls.incrementAndGet();
          if ("1".equals(ex.request().headers().get("x-hog"))) {
            try {
              Thread.sleep(hold);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return FilterResult.proceed();
        }

        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          if ("1".equals(ex.request().headers().get("x-hog-body"))) { // holds the loop in its body transformer
            ex.transformResponseBody(new BodyTransformer() {
              @Override
              public Buffer transform(Buffer chunk) {
                try {
                  Thread.sleep(hold);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return chunk.copy();
              }

              @Override
              public Buffer finish() {
                return Buffer.buffer();
              }
            });
          }
          return FilterResult.proceed();
        }

        @Override
        public void close() {
          closes.incrementAndGet();
        }
      };
    }
  }
}
