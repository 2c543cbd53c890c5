#!/usr/bin/env node
'use strict'
// A test-only stand-in for DynamoDB: dynalite in this process, behind a front that adds
// TransactWriteItems, TransactGetItems, TTL settings and ReturnValuesOnConditionCheckFailure.
// Loopback only, ports chosen by the system; prints one "listening" line when ready and exits when
// its standard input closes (the test JVM that started it is gone). Never a production endpoint.
//
//   node main.js [--port N] [--idempotency-window-ms N]
const dynalite = require('dynalite')
const { DynaliteClient } = require('./dynalite-client')
const { createFront } = require('./front')
const { TEN_MINUTES_MS } = require('./client-tokens')

const LOOPBACK = '127.0.0.1'

function options (argv) {
  const parsed = { port: 0, idempotencyWindowMs: TEN_MINUTES_MS }
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1])
    if (!Number.isInteger(value) || value < 0) fail('bad value for ' + argv[i] + ': ' + argv[i + 1])
    if (argv[i] === '--port') parsed.port = value
    else if (argv[i] === '--idempotency-window-ms') parsed.idempotencyWindowMs = value
    else fail('unknown option ' + argv[i])
  }
  return parsed
}

function fail (message) {
  console.error('dynamo-front: ' + message)
  process.exit(2)
}

const settings = options(process.argv.slice(2))
// tables are ACTIVE at once; the store is in memory
const store = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
store.on('error', error => fail('dynalite: ' + error.message))
store.listen(0, LOOPBACK, () => {
  const storePort = store.address().port
  const front = createFront(new DynaliteClient(storePort), settings)
  front.on('error', error => fail(error.message))
  front.listen(settings.port, LOOPBACK, () => {
    console.log('DynamoDB transactions front listening at: http://%s:%d (dynalite behind it on port %d)',
      LOOPBACK, front.address().port, storePort)
  })
})

// the parent holds our stdin; when it dies, the pipe closes and so do we
process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
