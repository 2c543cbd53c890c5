'use strict'
// The HTTP front: every request waits its turn in one queue; the operations dynalite lacks are
// answered here, on top of dynalite, and everything else goes through to dynalite untouched.
const http = require('node:http')
const crypto = require('node:crypto')
const { SerialQueue } = require('./serial-queue')
const { ClientTokens } = require('./client-tokens')
const { TimeToLive } = require('./time-to-live')
const { transactWriteItems } = require('./transact-write')
const { transactGetItems } = require('./transact-get')
const { wantsItemOnConditionFailure, withItemOnConditionFailure } = require('./condition-failure-item')
const { ApiError } = require('./errors')

const MAX_REQUEST_BYTES = 16 * 1024 * 1024 // dynalite's own limit
const TARGET = /^DynamoDB_20120810\.(\w+)$/
// the passed-through operations whose request the front looks at
const READ_BY_THE_FRONT = new Set([ 'PutItem', 'UpdateItem', 'DeleteItem', 'DeleteTable' ])
const NOT_RETURNED = new Set([ 'connection', 'keep-alive', 'transfer-encoding', 'content-length' ])

function createFront (dynalite, { idempotencyWindowMs }) {
  const queue = new SerialQueue()
  const tokens = new ClientTokens(idempotencyWindowMs)
  const timeToLive = new TimeToLive(dynalite)
  const implemented = {
    TransactWriteItems: input => transactWriteItems(input, dynalite, tokens),
    TransactGetItems: input => transactGetItems(input, dynalite),
    UpdateTimeToLive: input => timeToLive.update(input),
    DescribeTimeToLive: input => timeToLive.describe(input),
  }

  async function handle (request, body) {
    const match = TARGET.exec(request.headers['x-amz-target'] || '')
    const operation = match ? match[1] : null
    if (Object.hasOwn(implemented, operation)) {
      return json(200, await implemented[operation](parse(body)))
    }
    const answer = await dynalite.exchange(request.method, request.url, request.headers, body)
    const input = READ_BY_THE_FRONT.has(operation) ? parseOrNull(body) : null
    if (wantsItemOnConditionFailure(operation, input)) {
      const withItem = await withItemOnConditionFailure(operation, input, answer, dynalite)
      if (withItem) return json(withItem.status, withItem.body)
    }
    if (operation === 'DeleteTable' && answer.status === 200 && input) timeToLive.forget(input.TableName)
    return answer
  }

  return http.createServer((request, response) => {
    readBody(request, response, body => {
      queue.run(() => handle(request, body)).then(
        answer => send(response, answer),
        error => send(response, failure(error)))
    })
  })
}

function readBody (request, response, then) {
  const chunks = []
  let length = 0
  request.on('data', chunk => {
    length += chunk.length
    if (length > MAX_REQUEST_BYTES) {
      request.removeAllListeners('data')
      request.removeAllListeners('end')
      response.writeHead(413, { 'Content-Length': 0 }).end()
      return
    }
    chunks.push(chunk)
  })
  request.on('end', () => then(Buffer.concat(chunks)))
}

function parse (body) {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new ApiError(400, { __type: 'com.amazon.coral.service#SerializationException' })
  }
}

function parseOrNull (body) {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return null
  }
}

function json (status, value) {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': crypto.randomBytes(26).toString('hex').toUpperCase(),
    },
    body: Buffer.from(JSON.stringify(value)),
  }
}

function failure (error) {
  if (error instanceof ApiError) return json(error.status, error.body)
  console.error('dynamo-front: ' + (error && error.stack ? error.stack : error))
  return json(500, {
    __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'the test front failed: ' + (error && error.message),
  })
}

function send (response, answer) {
  const headers = {}
  for (const [ name, value ] of Object.entries(answer.headers)) {
    if (!NOT_RETURNED.has(name.toLowerCase())) headers[name] = value
  }
  headers['content-length'] = answer.body.length
  response.writeHead(answer.status, headers)
  response.end(answer.body)
}

module.exports = { createFront }
