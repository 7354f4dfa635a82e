/**
 * A Distr list shared by everyone in the process: concurrent readers wait for one in-flight request, later readers
 * get the cached answer until a write to the collection invalidates it. Reading fifty resources of a stack therefore
 * costs one list call, not fifty, which matters under Distr's hourly budget (quirk 19).
 */
interface Entry<T> {
  readonly promise: Promise<T[]>;
  value?: T[];
}

export class CoalescedList<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** `load(key)` reads one variant of the list (a filter such as an application id, or "" for all). */
  constructor(private readonly load: (key: string) => Promise<T[]>) {}

  /**
   * The list, from the cache or from one shared request. `fresh` forces a new request even when one is cached or in
   * flight (after a write whose outcome is unknown, an older read may predate it) and caches its answer.
   */
  async get(key = "", options: { fresh?: boolean } = {}): Promise<T[]> {
    let entry = options.fresh ? undefined : this.entries.get(key);
    if (entry === undefined) {
      const created: Entry<T> = {
        promise: this.load(key).then(
          (value) => {
            created.value = value;
            return value;
          },
          (error: unknown) => {
            if (this.entries.get(key) === created) {
              this.entries.delete(key);
            }
            throw error;
          },
        ),
      };
      entry = created;
      this.entries.set(key, created);
    }
    // Callers get their own copy: the cached list must not change under other readers.
    return structuredClone(await entry.promise);
  }

  /** The cached list if one has arrived and is still valid, without any request. */
  peek(key = ""): T[] | undefined {
    const value = this.entries.get(key)?.value;
    return value === undefined ? undefined : structuredClone(value);
  }

  /** A write happened: the next reader asks Distr again (a read in flight is not cached any more). */
  invalidate(): void {
    this.entries.clear();
  }
}
