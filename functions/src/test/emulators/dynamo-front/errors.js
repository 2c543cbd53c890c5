'use strict'
// DynamoDB's error answers, shaped as the JSON protocol sends them (HTTP 400, __type, message).

class ApiError extends Error {
  constructor (status, body) {
    super(body.message || body.Message || body.__type)
    this.status = status
    this.body = body
  }
}

const TYPE = 'com.amazonaws.dynamodb.v20120810#'

function validation (message) {
  // dynalite's own type string for this error, so that every ValidationException looks alike
  return new ApiError(400, { __type: 'com.amazon.coral.validate#ValidationException', message })
}

function transactionCanceled (reasons) {
  const codes = reasons.map(r => r.Code).join(', ')
  return new ApiError(400, {
    __type: TYPE + 'TransactionCanceledException',
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [' + codes + ']',
    CancellationReasons: reasons,
  })
}

function idempotentParameterMismatch () {
  return new ApiError(400, {
    __type: TYPE + 'IdempotentParameterMismatchException',
    message: 'The request uses the same client token as a previous, but non-identical request.',
  })
}

function internal (message) {
  return new ApiError(500, { __type: TYPE + 'InternalServerError', message })
}

function isConditionalCheckFailed (result) {
  return result.status === 400 && String(result.body.__type).endsWith('#ConditionalCheckFailedException')
}

/** The body of a successful answer; any other answer becomes the error it is. */
function ok (result) {
  if (result.status !== 200) throw new ApiError(result.status, result.body)
  return result.body
}

module.exports = {
  ApiError, validation, transactionCanceled, idempotentParameterMismatch, internal,
  isConditionalCheckFailed, ok,
}
