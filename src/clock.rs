//! World time. The page feeds wall-clock readings (`Date.now()`); the engine only ever
//! reads `now_ms()`, so tests drive time by hand and the page can run the world at
//! 1×…3600×, pause it, or jump it forward.

/// World time in milliseconds since the Unix epoch (and durations of world time in
/// milliseconds): the one time unit of the engine. The clock keeps a fraction (`f64`) so
/// slow speeds accumulate; everything else sees whole milliseconds.
pub type Ms = i64;

#[derive(Clone, Debug)]
pub struct Clock {
    /// World time in milliseconds since the Unix epoch (fractional, so slow speeds accumulate).
    world_ms: f64,
    /// The last wall reading we were given.
    wall_ms: f64,
    speed: f64,
    paused: bool,
}

pub const MIN_SPEED: f64 = 0.0;
pub const MAX_SPEED: f64 = 3600.0;

/// The latest world time the clock reaches: the end of year 9999 (UTC). However long a
/// page runs at 3600× or however far it jumps, world time stays a date Redis and people
/// can read (and `i64` milliseconds never overflow).
pub const MAX_WORLD_MS: f64 = 253_402_300_799_999.0;

/// World time kept between the epoch and the end of year 9999.
fn bounded(ms: f64) -> f64 {
    ms.clamp(0.0, MAX_WORLD_MS)
}

impl Clock {
    /// A clock whose world time starts equal to the given wall time.
    pub fn new(wall_ms: f64) -> Clock {
        let wall_ms = if wall_ms.is_finite() {
            bounded(wall_ms)
        } else {
            0.0
        };
        Clock {
            world_ms: wall_ms,
            wall_ms,
            speed: 1.0,
            paused: false,
        }
    }

    /// Tell the clock what time the wall says it is. World time moves forward by the wall
    /// time elapsed since the last reading times the speed (not at all when paused). A wall
    /// clock that goes backwards (a system clock change) moves nothing.
    pub fn sync(&mut self, wall_ms: f64) {
        if !wall_ms.is_finite() {
            return;
        }
        let dt = wall_ms - self.wall_ms;
        if dt > 0.0 && !self.paused {
            self.world_ms = bounded(self.world_ms + dt * self.speed);
        }
        self.wall_ms = wall_ms;
    }

    /// A clock at a given world time, speed and pause state, following the wall from
    /// `wall_ms` on (a restored world).
    pub fn restored(world_ms: f64, wall_ms: f64, speed: f64, paused: bool) -> Clock {
        let mut c = Clock::new(wall_ms);
        c.world_ms = if world_ms.is_finite() {
            bounded(world_ms)
        } else {
            c.world_ms
        };
        c.set_speed(speed);
        c.paused = paused;
        c
    }

    /// World time in milliseconds, with its fraction.
    pub fn world_ms(&self) -> f64 {
        self.world_ms
    }

    /// World time in whole milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> Ms {
        self.world_ms.floor() as i64
    }

    /// World time in microseconds (for TIME).
    pub fn now_us(&self) -> i64 {
        (self.world_ms * 1000.0).floor() as i64
    }

    /// Move world time forward by `ms` (ignores negative or non-finite amounts).
    pub fn advance(&mut self, ms: f64) {
        if ms.is_finite() && ms > 0.0 {
            self.world_ms = bounded(self.world_ms + ms);
        }
    }

    /// Real time again: world time back (or on) to the last wall reading, at 1×, running.
    pub fn back_to_wall(&mut self) {
        self.world_ms = bounded(self.wall_ms);
        self.speed = 1.0;
        self.paused = false;
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Clamped to 0…3600; a non-finite speed is ignored.
    pub fn set_speed(&mut self, speed: f64) {
        if speed.is_finite() {
            self.speed = speed.clamp(MIN_SPEED, MAX_SPEED);
        }
    }

    pub fn pause(&mut self) {
        self.paused = true;
    }

    pub fn resume(&mut self) {
        self.paused = false;
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_time_follows_wall_time_times_speed() {
        let mut c = Clock::new(1_000.0);
        c.sync(1_500.0);
        assert_eq!(c.now_ms(), 1_500);
        c.set_speed(60.0);
        c.sync(2_500.0);
        assert_eq!(c.now_ms(), 1_500 + 60_000);
    }

    #[test]
    fn a_paused_clock_ignores_wall_time_but_still_advances_by_hand() {
        let mut c = Clock::new(0.0);
        c.pause();
        c.sync(10_000.0);
        assert_eq!(c.now_ms(), 0);
        c.advance(250.0);
        assert_eq!(c.now_ms(), 250);
        c.resume();
        c.sync(10_100.0);
        assert_eq!(c.now_ms(), 350);
    }

    #[test]
    fn a_wall_clock_going_backwards_does_not_move_the_world() {
        let mut c = Clock::new(5_000.0);
        c.sync(4_000.0);
        assert_eq!(c.now_ms(), 5_000);
        c.sync(4_100.0);
        assert_eq!(c.now_ms(), 5_100);
    }

    #[test]
    fn world_time_never_passes_the_end_of_year_9999() {
        let mut c = Clock::new(1_000.0);
        c.advance(1e300);
        assert_eq!(c.world_ms(), MAX_WORLD_MS);
        assert_eq!(c.now_ms(), 253_402_300_799_999);
        c.set_speed(MAX_SPEED);
        c.sync(f64::MAX);
        assert_eq!(c.world_ms(), MAX_WORLD_MS);
        let r = Clock::restored(9.2e18, 0.0, 1.0, false);
        assert_eq!(r.world_ms(), MAX_WORLD_MS);
    }

    #[test]
    fn speed_is_clamped_and_nonsense_is_ignored() {
        let mut c = Clock::new(0.0);
        c.set_speed(1e9);
        assert_eq!(c.speed(), MAX_SPEED);
        c.set_speed(f64::NAN);
        assert_eq!(c.speed(), MAX_SPEED);
        c.set_speed(-3.0);
        assert_eq!(c.speed(), 0.0);
    }
}
