package io.frontdesk.store;

import io.frontdesk.config.ConfigDocument;

/**
 * The check a write runs on the whole configuration it is about to commit, so that nothing a node
 * cannot load is ever stored. The store runs it off the event loop; the node hands it the
 * snapshot compiler's dry run, so the store need not know how a configuration is compiled.
 */
@FunctionalInterface
public interface ConfigValidation {

  /** @throws io.frontdesk.validation.InvalidConfigException listing every problem */
  void check(ConfigDocument doc);
}
