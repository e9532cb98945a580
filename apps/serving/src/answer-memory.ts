/** Who answered one request, for feedback sent back to the replica that answered it. */
export interface Answered {
  deploymentId: string;
  versionId: string;
  version: number;
}

/**
 * The last `capacity` request ids and who answered them, oldest forgotten first. A ring of ids beside the map, so
 * forgetting is one `delete` of a known key: taking the map's first key instead (`keys().next()`) walks over the
 * deleted entries V8 leaves at the front of the table until it is rehashed, which at 100,000 ids cost more than the
 * prediction on every request.
 */
export class AnswerMemory {
  private readonly byId = new Map<string, Answered & { slot: number }>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  get size(): number {
    return this.byId.size;
  }

  get(requestId: string): Answered | undefined {
    return this.byId.get(requestId);
  }

  /** Remembers (or refreshes: the id then lives a full `capacity` more) who answered `requestId`. */
  remember(requestId: string, answered: Answered): void {
    const slot = this.next;
    const evicted = this.ring[slot];
    // A slot whose id was remembered again since holds a stale copy: the map points at the newer slot then.
    if (evicted !== undefined && this.byId.get(evicted)?.slot === slot) this.byId.delete(evicted);
    this.ring[slot] = requestId;
    this.byId.set(requestId, { ...answered, slot });
    this.next = (slot + 1) % this.capacity;
  }
}
