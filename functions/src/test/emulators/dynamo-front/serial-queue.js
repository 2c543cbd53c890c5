'use strict'
// One request at a time, in arrival order: what makes a multi-call operation atomic to clients.

class SerialQueue {
  constructor () {
    this.tail = Promise.resolve()
  }

  /** Runs job after every job enqueued before it has settled; resolves or rejects as job does. */
  run (job) {
    const result = this.tail.then(job)
    this.tail = result.catch(() => {})
    return result
  }
}

module.exports = { SerialQueue }
