/** The secrets port on AWS Secrets Manager. */
package dev.pinaivu.functions.secrets;
