'use strict'
// TransactWriteItems' ClientRequestToken: a repeat of a request that succeeded, within the window,
// answers the first answer without applying anything again; the same token with another request is
// refused. A request that failed is not remembered, so its repeat runs again.
const { canonical } = require('./transact-checks')
const { validation, idempotentParameterMismatch } = require('./errors')

const TEN_MINUTES_MS = 10 * 60 * 1000
const MAX_TOKEN_LENGTH = 36

class ClientTokens {
  constructor (windowMs = TEN_MINUTES_MS, now = Date.now) {
    this.windowMs = windowMs
    this.now = now
    this.byToken = new Map()
  }

  /** apply() at most once per token within the window (apply rejects when the request failed). */
  async once (input, apply) {
    const token = input.ClientRequestToken
    if (token === undefined) return apply()
    if (typeof token !== 'string' || token.length < 1 || token.length > MAX_TOKEN_LENGTH) {
      throw validation("1 validation error detected: Value at 'clientRequestToken' failed to satisfy " +
        'constraint: Member must have length between 1 and ' + MAX_TOKEN_LENGTH)
    }
    this.forgetExpired()
    const request = JSON.stringify(canonical(Object.assign({}, input, { ClientRequestToken: undefined })))
    const earlier = this.byToken.get(token)
    if (earlier) {
      if (earlier.request !== request) throw idempotentParameterMismatch()
      return earlier.response
    }
    const response = await apply()
    // the window starts when the first request completes
    this.byToken.set(token, { request, response, completedAt: this.now() })
    return response
  }

  forgetExpired () {
    const now = this.now()
    for (const [ token, entry ] of this.byToken) {
      if (now - entry.completedAt >= this.windowMs) this.byToken.delete(token)
    }
  }
}

module.exports = { ClientTokens, TEN_MINUTES_MS }
