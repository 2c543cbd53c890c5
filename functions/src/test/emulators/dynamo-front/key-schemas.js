'use strict'
// Tables' key attributes, read once per client request (a table can be re-created between two).
const { ok } = require('./errors')

class KeySchemas {
  constructor (dynalite) {
    this.dynalite = dynalite
    this.byTable = new Map()
  }

  /** The key attribute names of table; a missing table answers dynalite's ResourceNotFoundException. */
  async of (table) {
    if (!this.byTable.has(table)) {
      const description = ok(await this.dynalite.call('DescribeTable', { TableName: table }))
      this.byTable.set(table, description.Table.KeySchema.map(k => k.AttributeName))
    }
    return this.byTable.get(table)
  }

  /** The primary key of a whole item. */
  async keyOf (table, item) {
    const key = {}
    for (const name of await this.of(table)) key[name] = item[name]
    return key
  }
}

module.exports = { KeySchemas }
