BEGIN;
DROP TABLE slot_draw_entry;
DROP TABLE slot_draw_run;
DROP TABLE slot_draw_choice;
DROP TABLE slot_draw_request;
DROP TABLE slot_draw;
COMMIT;
