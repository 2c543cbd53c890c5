/**
 * The attacker's tests: GPU nodes are strangers, so {@link dev.pinaivu.cli.hostile.HostileNode}
 * speaks the real node protocol to the real gateway and lies (about usage, price, max_tokens), and
 * each test checks over real HTTP that the client is not billed for the lie and that the books
 * still add up ({@link dev.pinaivu.cli.Books}). The {@code Serverless*IT} run the same attacks, and
 * forged frames, floods and a kill, against the serverless deployment on loopback ({@link
 * dev.pinaivu.cli.ServerlessDeployment}: the node joins the WebSocket API through {@code $connect}
 * and speaks through {@code $default}), checked by {@link dev.pinaivu.cli.ServerlessBooks}.
 */
package dev.pinaivu.cli.hostile;
