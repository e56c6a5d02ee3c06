import { Admission } from './admission';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-12-01T09:30:00Z') });
  turns = [];
});
afterEach(() => jest.useRealTimers());

/** The callbacks put off to the next turn of the event loop, run by hand: one `oneTurn()` is one turn. */
let turns: (() => void)[] = [];
const nextTurn = (fn: () => void) => void turns.push(fn);
async function oneTurn(): Promise<void> {
  const now = turns;
  turns = [];
  for (const fn of now) fn();
  await Promise.resolve(); // the requests it started resume
}
const admissionWith = (limits: ConstructorParameters<typeof Admission>[0]) => new Admission(limits, nextTurn);

function arrivals(admission: Admission, n: number, arrivedAt = Date.now()) {
  const outcome: (boolean | undefined)[] = Array.from({ length: n }, () => undefined);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    void admission.enter(arrivedAt).then((started) => {
      outcome[i] = started;
      order.push(i);
    });
  }
  return { outcome, order };
}

it('starts nothing as it arrives, then a few a turn of the event loop, in the order they came', async () => {
  const admission = admissionWith({ startsPerTurn: 2, maxInFlight: 64, maxWaitMs: 2000 });
  const { outcome, order } = arrivals(admission, 5);
  await Promise.resolve();
  expect(outcome).toEqual([undefined, undefined, undefined, undefined, undefined]);
  await oneTurn();
  expect(outcome).toEqual([true, true, undefined, undefined, undefined]);
  await oneTurn();
  await oneTurn();
  expect(outcome).toEqual([true, true, true, true, true]);
  expect(order).toEqual([0, 1, 2, 3, 4]);
  expect(admission.inFlight).toBe(5);
});

it('runs at most maxInFlight at once; one that leaves lets the next waiting one start', async () => {
  const admission = admissionWith({ startsPerTurn: 10, maxInFlight: 3, maxWaitMs: 2000 });
  const { outcome } = arrivals(admission, 5);
  await oneTurn();
  expect(outcome).toEqual([true, true, true, undefined, undefined]);
  await oneTurn();
  expect(outcome.filter((o) => o === true)).toHaveLength(3);
  admission.leave();
  await oneTurn();
  expect(outcome).toEqual([true, true, true, true, undefined]);
  expect(admission.inFlight).toBe(3);
});

it('answers false, without starting it, one still waiting maxWaitMs after it arrived; the next in line still starts', async () => {
  const admission = admissionWith({ startsPerTurn: 10, maxInFlight: 1, maxWaitMs: 2000 });
  const arrivedAt = Date.now() - 500; // it had already waited (read, token checked) before it came here
  const { outcome } = arrivals(admission, 3, arrivedAt);
  await oneTurn();
  expect(outcome).toEqual([true, undefined, undefined]);
  jest.advanceTimersByTime(1499);
  await Promise.resolve();
  expect(outcome).toEqual([true, undefined, undefined]);
  jest.advanceTimersByTime(1);
  await Promise.resolve();
  expect(outcome).toEqual([true, false, false]);
  expect(admission.inFlight).toBe(1);
  // the ones given up on are skipped: a later arrival starts as soon as there is room
  const later = arrivals(admission, 1);
  admission.leave();
  await oneTurn();
  expect(later.outcome).toEqual([true]);
  expect(admission.inFlight).toBe(1);
});
