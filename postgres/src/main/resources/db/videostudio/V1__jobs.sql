-- Jobs of the distributed mode. The job row is the truth a client sees (status, progress,
-- error); db-scheduler's scheduled_tasks row (same id) is what a worker node picks up.
create table studio_jobs (
    job_id     text primary key,
    type       text not null,
    job_key    text not null,
    status     text not null check (status in ('queued', 'processing', 'ready', 'failed', 'cancelled')),
    progress   double precision not null default 0,
    error      jsonb,
    payload    jsonb not null,
    priority   smallint not null default 0,
    attempt    integer not null default 0,
    node       text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- one job per key while queued or processing, on all nodes together
create unique index studio_jobs_one_active_per_key on studio_jobs (job_key) where status in ('queued', 'processing');
create index studio_jobs_key_created on studio_jobs (job_key, created_at desc);
create index studio_jobs_unfinished on studio_jobs (status, type) where status in ('queued', 'processing');
create index studio_jobs_updated on studio_jobs (updated_at);

-- db-scheduler 16.7's table for PostgreSQL, as its documentation gives it
create table scheduled_tasks (
    task_name            text not null,
    task_instance        text not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
