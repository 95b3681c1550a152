BEGIN;
DROP TABLE webhook_delivery;
DROP TABLE webhook_event;
DROP TABLE webhook_endpoint;
COMMIT;
