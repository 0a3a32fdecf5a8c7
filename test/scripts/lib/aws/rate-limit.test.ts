import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimited } from '../../../../scripts/lib/aws/rate-limit';
import { VirtualTime } from '../../../../scripts/simulation/virtual-time';

/** When each of `count` callers got its turn, in virtual milliseconds. */
async function turns(count: number, perSecond: number, burst: number): Promise<number[]> {
  const time = new VirtualTime();
  const acquire = createRateLimiter({ perSecond, burst }, time);
  const at: number[] = [];
  await time.run(
    Promise.all(
      Array.from({ length: count }, async () => {
        await acquire();
        at.push(time.now());
      }),
    ),
  );
  return at;
}

describe('createRateLimiter', () => {
  it('lets a burst through at once, then one call per 1/perSecond', async () => {
    // Given a limit of 4 per second with a burst of 2
    // When 6 callers ask at once
    const at = await turns(6, 4, 2);
    // Then two go at 0 ms and the rest 250 ms apart
    expect(at).toEqual([0, 0, 250, 500, 750, 1000]);
  });

  it('never exceeds the sustained rate over a long run', async () => {
    // Given 9 per second, burst 9; When 200 callers ask at once
    const at = await turns(200, 9, 9);
    // Then in every one-second window at most 9 + 9 calls start, and the last starts after ~21 s
    for (const start of at)
      expect(at.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(18);
    expect(at.at(-1)).toBeGreaterThanOrEqual(((200 - 9) / 9) * 1000 - 1);
  });
});

describe('rateLimited', () => {
  it('waits for a turn before each send and keeps the client otherwise intact', async () => {
    // Given a client whose send records the order of events
    const events: string[] = [];
    const client = {
      region: 'eu-west-1',
      async send(command: string) {
        events.push(`send ${command}`);
        return command.toUpperCase();
      },
    };
    const limited = rateLimited(client, async () => {
      events.push('turn');
    });
    // When
    const reply = await limited.send('a');
    // Then
    expect(reply).toBe('A');
    expect(events).toEqual(['turn', 'send a']);
    expect(limited.region).toBe('eu-west-1');
  });
});
