// The clock lives in src/shared (every layer takes one); re-exported here so the client's imports stay.
export {
  backgroundTimeout,
  type Clock,
  type ClockTimer,
  repeat,
  sleep,
  systemClock,
} from '#shared/clock.ts';
