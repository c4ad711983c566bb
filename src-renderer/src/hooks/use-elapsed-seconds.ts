/** Whole seconds since `running` became true (0 while not running): the progress shown on a slow step. */
import { useEffect, useState } from 'react';

export function useElapsedSeconds(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    // Ticks four times a second, so a second run shows 0 within a quarter second rather than the last run's count.
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 250);
    return () => clearInterval(timer);
  }, [running]);
  return running ? seconds : 0;
}
