/** Anything following streams: told when one of them has something new. */
export interface Follower {
  wake(stream: string): void;
}

/** Which connections follow which stream, so a change-log notification wakes exactly those. */
export class Followers {
  private readonly byStream = new Map<string, Set<Follower>>();

  add(stream: string, follower: Follower): void {
    let set = this.byStream.get(stream);
    if (!set) this.byStream.set(stream, (set = new Set()));
    set.add(follower);
  }

  remove(stream: string, follower: Follower): void {
    const set = this.byStream.get(stream);
    set?.delete(follower);
    if (set?.size === 0) this.byStream.delete(stream);
  }

  wake(stream: string): void {
    for (const follower of this.byStream.get(stream) ?? []) follower.wake(stream);
  }
}
