'use strict'
// ReturnValuesOnConditionCheckFailure=ALL_OLD on a single PutItem, UpdateItem or DeleteItem:
// dynalite accepts it and ignores it, so when the condition failed the front reads the item (no
// other request runs in between) and puts it in the ConditionalCheckFailedException, as DynamoDB does.
const { KeySchemas } = require('./key-schemas')
const { isConditionalCheckFailed, ok } = require('./errors')

const OPERATIONS = new Set([ 'PutItem', 'UpdateItem', 'DeleteItem' ])

function wantsItemOnConditionFailure (operation, input) {
  return OPERATIONS.has(operation) && input != null && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'
}

/** dynalite's answer to the request, with the item added when its condition failed. */
async function withItemOnConditionFailure (operation, input, answer, dynalite) {
  if (answer.status !== 400) return null
  const result = { status: answer.status, body: JSON.parse(answer.body.toString('utf8')) }
  if (!isConditionalCheckFailed(result)) return null
  const key = operation === 'PutItem'
    ? await new KeySchemas(dynalite).keyOf(input.TableName, input.Item)
    : input.Key
  const found = ok(await dynalite.call('GetItem', { TableName: input.TableName, Key: key, ConsistentRead: true }))
  if (found.Item) result.body.Item = found.Item
  return result
}

module.exports = { wantsItemOnConditionFailure, withItemOnConditionFailure }
