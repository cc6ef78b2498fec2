/**
 * Counts the turns of the event loop other work gets while `work` runs: a task that reschedules
 * itself with setImmediate runs once per turn. On SQLite, where queries complete synchronously, a
 * loop that never yields between its slices gives it none.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0
  let running = true
  const tick = () => {
    if (!running) return
    turns++
    setImmediate(tick)
  }
  setImmediate(tick)
  try {
    const result = await work()
    return { result, turns }
  } finally {
    running = false
  }
}
