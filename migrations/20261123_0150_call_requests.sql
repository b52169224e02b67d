-- 一键呼叫: one waiting call request per resident at a time. A second tap while one waits answers the waiting
-- one (INSERT … ON CONFLICT DO NOTHING against this index), so concurrent taps never leave two.
CREATE UNIQUE INDEX call_requests_one_waiting_idx ON call_requests (resident_account_id) WHERE status = 'waiting';
