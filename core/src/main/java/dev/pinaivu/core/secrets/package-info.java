/** The secrets port: named secrets, made locally on first start or read from a secret store. */
package dev.pinaivu.core.secrets;
