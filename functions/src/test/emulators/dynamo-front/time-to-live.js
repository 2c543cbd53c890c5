'use strict'
// UpdateTimeToLive / DescribeTimeToLive, kept per table in this process. The front never deletes
// an expired item: DynamoDB deletes them lazily (typically within days), so readers must filter
// by time anyway, and a test that sees an expired item is seeing what DynamoDB may show.
const { validation, ok } = require('./errors')

class TimeToLive {
  constructor (dynalite) {
    this.dynalite = dynalite
    this.attributeByTable = new Map() // tables whose TTL is enabled, and on which attribute
  }

  async update (input) {
    await this.describeTable(input.TableName)
    const spec = input.TimeToLiveSpecification
    if (spec == null || typeof spec.AttributeName !== 'string' || typeof spec.Enabled !== 'boolean') {
      throw validation("1 validation error detected: Value at 'timeToLiveSpecification' failed to satisfy " +
        'constraint: Member must have an AttributeName and Enabled')
    }
    if (spec.AttributeName.length < 1 || spec.AttributeName.length > 255) {
      throw validation("1 validation error detected: Value at 'timeToLiveSpecification.attributeName' failed " +
        'to satisfy constraint: Member must have length between 1 and 255')
    }
    const current = this.attributeByTable.get(input.TableName)
    if (spec.Enabled) {
      if (current !== undefined) throw validation('TimeToLive is already enabled')
      this.attributeByTable.set(input.TableName, spec.AttributeName)
    } else {
      if (current === undefined) throw validation('TimeToLive is already disabled')
      if (current !== spec.AttributeName) {
        throw validation('TimeToLive is active on a different AttributeName: current AttributeName is ' + current)
      }
      this.attributeByTable.delete(input.TableName)
    }
    // DynamoDB answers with the specification it was given (the change itself takes up to an hour)
    return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } }
  }

  async describe (input) {
    await this.describeTable(input.TableName)
    const attribute = this.attributeByTable.get(input.TableName)
    return {
      TimeToLiveDescription: attribute === undefined
        ? { TimeToLiveStatus: 'DISABLED' }
        : { TimeToLiveStatus: 'ENABLED', AttributeName: attribute },
    }
  }

  /** A deleted table's setting goes with it. */
  forget (table) {
    this.attributeByTable.delete(table)
  }

  async describeTable (table) {
    // a missing table answers dynalite's ResourceNotFoundException (or its validation of the name)
    ok(await this.dynalite.call('DescribeTable', { TableName: table }))
  }
}

module.exports = { TimeToLive }
