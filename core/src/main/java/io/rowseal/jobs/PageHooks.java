package io.rowseal.jobs;

/**
 * Test seam of {@code TableJob.runWithHooks}: points in a page's life where a test stages a concurrent
 * application write or a crash. Not part of the API; production runs use {@link #NONE}.
 */
interface PageHooks {
  PageHooks NONE = new PageHooks() {};

  /** After a page is read, before any of its key operations, on the reading thread. */
  default void afterRead() {}

  /** Between a page's key operations and its write, on the worker thread. */
  default void beforeWrite() {}

  static PageHooks afterRead(Runnable hook) {
    return new PageHooks() {
      @Override
      public void afterRead() {
        hook.run();
      }
    };
  }

  static PageHooks beforeWrite(Runnable hook) {
    return new PageHooks() {
      @Override
      public void beforeWrite() {
        hook.run();
      }
    };
  }
}
