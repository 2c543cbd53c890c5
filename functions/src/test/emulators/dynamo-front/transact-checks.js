'use strict'
// The request checks TransactWriteItems and TransactGetItems share.
const { validation } = require('./errors')

const MAX_ITEMS = 100

/** Between 1 and 100 items, as the API's TransactItems member is constrained. */
function checkCount (items) {
  const constraint = 'failed to satisfy constraint: '
  if (!Array.isArray(items)) {
    throw validation("1 validation error detected: Value null at 'transactItems' " + constraint +
      'Member must not be null')
  }
  if (items.length < 1) {
    throw validation("1 validation error detected: Value '[]' at 'transactItems' " + constraint +
      'Member must have length greater than or equal to 1')
  }
  if (items.length > MAX_ITEMS) {
    throw validation("1 validation error detected: Value at 'transactItems' " + constraint +
      'Member must have length less than or equal to ' + MAX_ITEMS)
  }
}

/** No two actions on one item (same table, same primary key). */
function checkDistinct (targets) {
  const seen = new Set()
  for (const { table, key } of targets) {
    const id = JSON.stringify([ table, canonical(key) ])
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item')
    seen.add(id)
  }
}

/** value with object keys sorted at every level, so equal requests serialise equally. */
function canonical (value) {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value
  const sorted = {}
  for (const name of Object.keys(value).sort()) sorted[name] = canonical(value[name])
  return sorted
}

module.exports = { checkCount, checkDistinct, canonical, MAX_ITEMS }
