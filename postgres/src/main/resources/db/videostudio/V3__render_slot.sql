-- The executions of watched jobs (renders a user watches as they stream): a second db-scheduler
-- table, run by one thread per worker node beside the shared ones, so background jobs holding
-- every shared thread never hold a render back (JobType.watched()).
create table scheduled_renders (like scheduled_tasks including all);
