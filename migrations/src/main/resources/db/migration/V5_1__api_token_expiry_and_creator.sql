-- API tokens may end (expires_at), and are bound to the account that made them: the token never
-- does more than that account may do now, and deleting the account deletes its tokens.
-- creator_id is NULL for tokens made by the bootstrap token (FRONTDESK_ADMIN_TOKEN).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN creator_id uuid REFERENCES admin_users (id) ON DELETE CASCADE;
UPDATE api_tokens t SET creator_id = u.id FROM admin_users u WHERE u.name = t.created_by;
CREATE INDEX api_tokens_creator ON api_tokens (creator_id);

-- Ended sessions are deleted now and then; these find them without a scan.
CREATE INDEX admin_sessions_last_seen ON admin_sessions (last_seen);
CREATE INDEX admin_sessions_created_at ON admin_sessions (created_at);
