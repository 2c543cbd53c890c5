package dev.pinaivu.core.dispatch;

/**
 * A job taken from a {@link JobQueue}: the job, the adapter's handle to finish it with, and how
 * many times it has been delivered (1 the first time; more means an earlier taker did not finish
 * it).
 */
public record JobLease(QueuedJob job, String handle, int deliveries) {}
