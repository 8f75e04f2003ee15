-- Asset and timeline records of the distributed mode; the media files stay on the shared folder.
-- Each record is the JSON core writes for the file stores, plus the columns queries need.
create table studio_assets (
    asset_id   text primary key,
    tenant     text not null,
    created_at timestamptz not null,
    record     jsonb not null
);
create index studio_assets_tenant on studio_assets (tenant, created_at, asset_id);

create table studio_timelines (
    timeline_id text primary key,
    tenant      text not null,
    created_at  timestamptz not null,
    revision    bigint not null,
    asset_ids   text[] not null,
    record      jsonb not null
);
create index studio_timelines_tenant on studio_timelines (tenant, created_at, timeline_id);
create index studio_timelines_assets on studio_timelines using gin (asset_ids);
