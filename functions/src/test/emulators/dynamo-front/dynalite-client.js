'use strict'
// The front's only way to the data: HTTP on loopback to the dynalite server in this process.
const http = require('node:http')

const TARGET_PREFIX = 'DynamoDB_20120810.'
// dynalite checks that a request looks signed, never its signature
const SIGNED = {
  Authorization: 'AWS4-HMAC-SHA256 Credential=front/20200101/us-east-1/dynamodb/aws4_request, ' +
    'SignedHeaders=host;x-amz-date;x-amz-target, Signature=0',
  'X-Amz-Date': '20200101T000000Z',
}
// hop-by-hop headers, and the length, which is recomputed for each hop
const NOT_FORWARDED = new Set([ 'host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length' ])

class DynaliteClient {
  constructor (port) {
    this.port = port
    this.agent = new http.Agent({ keepAlive: true })
  }

  /** One request exactly as a client sent it; resolves to dynalite's status, headers and body. */
  exchange (method, path, headers, body) {
    const forwarded = {}
    for (const [ name, value ] of Object.entries(headers)) {
      if (!NOT_FORWARDED.has(name.toLowerCase())) forwarded[name] = value
    }
    forwarded['Content-Length'] = body.length
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers: forwarded, agent: this.agent },
        response => {
          const chunks = []
          response.on('data', chunk => chunks.push(chunk))
          response.on('end', () => resolve({
            status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks),
          }))
          response.on('error', reject)
        })
      request.on('error', reject)
      request.end(body)
    })
  }

  /** One DynamoDB operation; resolves to { status, body } with the body parsed. */
  async call (operation, input) {
    const body = Buffer.from(JSON.stringify(input))
    const headers = Object.assign({
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': TARGET_PREFIX + operation,
    }, SIGNED)
    const answer = await this.exchange('POST', '/', headers, body)
    return { status: answer.status, body: parse(answer.body) }
  }
}

function parse (body) {
  const text = body.toString('utf8')
  return text ? JSON.parse(text) : {}
}

module.exports = { DynaliteClient }
