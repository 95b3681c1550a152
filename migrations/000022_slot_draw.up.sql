-- A fair draw (issue 9, item 5): a booking scope (an expo's own rules, or
-- a pavilion's that has rules of its own) may allocate its slots by a draw
-- instead of first come, first served. Companies rank slots during a
-- request period; once it has closed the draw runs once, with a published
-- seed, and what it decided is kept for everyone to read.
BEGIN;

-- The settings of a scope's draw. pavilion_id NULL is the expo's own scope.
CREATE TABLE slot_draw (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expo_id      bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    pavilion_id  bigint,
    opens_at     timestamptz NOT NULL,
    closes_at    timestamptz NOT NULL,
    max_choices  integer NOT NULL CHECK (max_choices BETWEEN 1 AND 20),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at),
    FOREIGN KEY (expo_id, pavilion_id) REFERENCES pavilion (expo_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX slot_draw_scope ON slot_draw (expo_id, coalesce(pavilion_id, 0));

-- A company's ranking in a draw, and its choices best first.
CREATE TABLE slot_draw_request (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draw_id       bigint NOT NULL REFERENCES slot_draw ON DELETE CASCADE,
    exhibitor_id  bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (draw_id, exhibitor_id)
);
CREATE TABLE slot_draw_choice (
    request_id  bigint NOT NULL REFERENCES slot_draw_request ON DELETE CASCADE,
    rank        integer NOT NULL CHECK (rank BETWEEN 1 AND 20),
    slot_id     bigint NOT NULL REFERENCES slot ON DELETE CASCADE,
    PRIMARY KEY (request_id, rank),
    UNIQUE (request_id, slot_id)
);
CREATE INDEX slot_draw_choice_slot ON slot_draw_choice (slot_id);

-- The run: one per draw (its primary key is what makes two runs at once
-- allocate once), with the seed that anyone can recompute the order from.
CREATE TABLE slot_draw_run (
    draw_id       bigint PRIMARY KEY REFERENCES slot_draw ON DELETE CASCADE,
    seed          bytea NOT NULL CHECK (length(seed) = 32),
    drawn_at      timestamptz NOT NULL,
    drawn_by      bigint REFERENCES app_user ON DELETE SET NULL,
    participants  integer NOT NULL CHECK (participants >= 0)
);

-- Each participant's place in the order and what happened to each of its
-- choices (slots' times and stages kept, so the page still reads after a
-- slot changes).
CREATE TABLE slot_draw_entry (
    draw_id       bigint NOT NULL REFERENCES slot_draw_run ON DELETE CASCADE,
    exhibitor_id  bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position >= 1),
    choices       jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (draw_id, exhibitor_id),
    UNIQUE (draw_id, position)
);

COMMIT;
