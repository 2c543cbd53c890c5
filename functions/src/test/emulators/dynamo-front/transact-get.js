'use strict'
// TransactGetItems on dynalite: consistent GetItems one after the other (the serial queue keeps
// writes out from between them), one response per item in request order, {} for a missing item.
const { checkCount, checkDistinct } = require('./transact-checks')
const { validation, ok } = require('./errors')

async function transactGetItems (input, dynalite) {
  checkCount(input.TransactItems)
  const gets = input.TransactItems.map(item => {
    if (item == null || item.Get == null) throw validation('TransactItems can only contain Get')
    return item.Get
  })
  checkDistinct(gets.map(get => ({ table: get.TableName, key: get.Key })))
  const responses = []
  for (const get of gets) {
    const found = ok(await dynalite.call('GetItem', Object.assign({}, get, { ConsistentRead: true })))
    responses.push(found.Item ? { Item: found.Item } : {})
  }
  return { Responses: responses }
}

module.exports = { transactGetItems }
