'use strict'
// TransactWriteItems on dynalite: each action becomes a conditional PutItem, UpdateItem or
// DeleteItem with ReturnValues ALL_OLD (dynalite evaluates every condition); when any condition
// fails, the old images are written back in reverse order. Atomic to clients only because the
// serial queue runs nothing else in between.
const { itemSize } = require('dynalite/db')
const { KeySchemas } = require('./key-schemas')
const { checkCount, checkDistinct } = require('./transact-checks')
const {
  ApiError, validation, transactionCanceled, internal, isConditionalCheckFailed, ok,
} = require('./errors')

const KINDS = [ 'ConditionCheck', 'Put', 'Delete', 'Update' ]
// a ConditionCheck is an UpdateItem that updates nothing: dynalite judges its condition
const OPERATION = { ConditionCheck: 'UpdateItem', Put: 'PutItem', Delete: 'DeleteItem', Update: 'UpdateItem' }
const MAX_BYTES = 4 * 1024 * 1024

async function transactWriteItems (input, dynalite, tokens) {
  checkCount(input.TransactItems)
  const actions = input.TransactItems.map(toAction)
  const schemas = new KeySchemas(dynalite)
  for (const action of actions) {
    // a missing table is refused here, before anything is written, as DynamoDB refuses it
    await schemas.of(action.table)
    action.key = action.kind === 'Put' ? await schemas.keyOf(action.table, action.spec.Item) : action.spec.Key
  }
  checkDistinct(actions)
  checkSize(actions)
  return tokens.once(input, () => apply(actions, dynalite))
}

function toAction (item, index) {
  const kinds = KINDS.filter(kind => item != null && item[kind] != null)
  if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete')
  const kind = kinds[0], spec = item[kind]
  if (kind === 'ConditionCheck' && spec.ConditionExpression == null) {
    throw validation("1 validation error detected: Value null at 'transactItems." + (index + 1) +
      ".member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null")
  }
  return { kind, spec, table: spec.TableName }
}

/** The aggregate size of the items written (whole Put items; keys and values of the others). */
function checkSize (actions) {
  let bytes = 0
  for (const { kind, spec, key } of actions) {
    bytes += kind === 'Put' ? itemSize(spec.Item) : itemSize(key)
    if (spec.ExpressionAttributeValues) bytes += itemSize(spec.ExpressionAttributeValues)
  }
  if (bytes > MAX_BYTES) {
    throw validation('Transaction request size of ' + bytes + ' bytes exceeds the limit of 4 MB')
  }
}

async function apply (actions, dynalite) {
  const written = [] // { table, key, old } of each write, in order
  const reasons = []
  let cancelled = false
  for (const action of actions) {
    const result = await dynalite.call(OPERATION[action.kind], request(action))
    if (result.status === 200) {
      const old = result.body.Attributes
      const write = { table: action.table, key: action.key, old }
      if (action.kind !== 'ConditionCheck') written.push(write)
      else if (old === undefined) await restore(dynalite, write) // the empty update made a key-only item
      reasons.push({ Code: 'None' })
    } else if (isConditionalCheckFailed(result)) {
      // later actions still run, so every failed condition is reported, as DynamoDB does
      cancelled = true
      reasons.push(await conditionFailure(action, dynalite))
    } else {
      // a request DynamoDB would have refused before writing anything (bad expression, no table)
      await rollBack(written, dynalite)
      throw new ApiError(result.status, result.body)
    }
  }
  if (cancelled) {
    await rollBack(written, dynalite)
    throw transactionCanceled(reasons)
  }
  return {}
}

function request ({ kind, spec }) {
  const call = Object.assign({}, spec, { ReturnValues: 'ALL_OLD' })
  delete call.ReturnValuesOnConditionCheckFailure // dynalite ignores it; the front answers it
  return call
}

async function conditionFailure (action, dynalite) {
  const reason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
  if (action.spec.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') {
    // no other action of this transaction touched this item, so this is its image before it
    const found = ok(await dynalite.call('GetItem', { TableName: action.table, Key: action.key, ConsistentRead: true }))
    if (found.Item) reason.Item = found.Item
  }
  return reason
}

async function rollBack (written, dynalite) {
  for (const write of written.slice().reverse()) await restore(dynalite, write)
}

async function restore (dynalite, { table, key, old }) {
  const result = old === undefined
    ? await dynalite.call('DeleteItem', { TableName: table, Key: key })
    : await dynalite.call('PutItem', { TableName: table, Item: old })
  if (result.status !== 200) {
    throw internal('the test front could not roll back a write to ' + table + ': ' + JSON.stringify(result.body))
  }
}

module.exports = { transactWriteItems, MAX_BYTES }
