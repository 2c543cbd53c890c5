/** Text the network passes on: valid Unicode, checked before it can break a connection. */
package dev.pinaivu.core.text;
