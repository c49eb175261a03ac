package io.rowseal.jobs;

/**
 * Told after each page a {@link TableJob} run has finished (committed, for a job that writes), from the
 * worker thread that did it, one call at a time; for progress bars and logs. An exception thrown here
 * stops the run and is rethrown by {@link TableJob#run()}.
 */
@FunctionalInterface
public interface JobListener {
  void pageDone(JobReport soFar);
}
