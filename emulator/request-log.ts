import type { RequestLogEntry, RequestLogSnapshot } from "./types";

/** The log of Immuta API requests, capped so a long run cannot grow memory without bound. */
export class RequestLog {
  private entries: (RequestLogEntry | undefined)[];
  private start = 0;
  private size = 0;
  private dropped = 0;

  constructor(private readonly capacity: number) {
    this.entries = new Array<RequestLogEntry | undefined>(capacity);
  }

  add(entry: RequestLogEntry): void {
    if (this.size < this.capacity) {
      this.entries[(this.start + this.size) % this.capacity] = entry;
      this.size += 1;
      return;
    }
    // Full: overwrite the oldest entry.
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % this.capacity;
    this.dropped += 1;
  }

  /** Oldest first. */
  snapshot(): RequestLogSnapshot {
    const requests: RequestLogEntry[] = [];
    for (let index = 0; index < this.size; index++) {
      const entry = this.entries[(this.start + index) % this.capacity];
      if (entry) requests.push({ ...entry });
    }
    return { requests, dropped: this.dropped };
  }

  clear(): void {
    this.entries = new Array<RequestLogEntry | undefined>(this.capacity);
    this.start = 0;
    this.size = 0;
    this.dropped = 0;
  }
}
