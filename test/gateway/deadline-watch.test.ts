/**
 * The deadline watch keeps the subgraph call timeouts and the request deadlines with one interval:
 * what is due is called once, what is dropped first is never called, what is not due waits.
 */
import { createDeadlineWatch, resolutionFor } from '../../gateway/protection/deadline-watch';

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
};

test('a passed deadline is called once; a dropped or a later one is not', async () => {
  const watch = createDeadlineWatch(5);
  try {
    const called: string[] = [];
    watch.after(0, () => called.push('due'));
    const drop = watch.after(0, () => called.push('dropped'));
    drop();
    watch.after(3_600_000, () => called.push('in an hour'));
    await until(() => called.length > 0);
    // Two more sweeps: nothing is called twice, nothing else comes due.
    const sweeps = [];
    watch.after(0, () => sweeps.push(1));
    await until(() => sweeps.length > 0);
    expect(called).toEqual(['due']);
  } finally {
    watch.dispose();
  }
});

test('the resolution is a twentieth of the shortest deadline, between 5 and 250 ms', () => {
  expect(resolutionFor(30_000)).toBe(250);
  expect(resolutionFor(2_000)).toBe(100);
  expect(resolutionFor(20)).toBe(5);
});
