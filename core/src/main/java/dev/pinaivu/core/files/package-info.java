/**
 * Files that hold secrets or money, kept where only their owner can read them: {@link
 * dev.pinaivu.core.files.OwnerOnlyFiles} makes them 0600 in 0700 directories and tightens what
 * others could read. Every module that keeps such a file goes through it.
 */
package dev.pinaivu.core.files;
