import { Migration } from '@mikro-orm/migrations';

export class Migration20261125072136_self_service extends Migration {

  // Self-service: versions for optimistic locking (rows already stored start at 1) and the audit trail.
  override async up(): Promise<void> {
    this.addSql(`create table \`audit_entry\` (\`id\` integer not null primary key autoincrement, \`at\` datetime not null, \`actor_role\` text not null, \`actor_sub\` text null, \`actor_provider\` text null, \`actor_key_id\` text null, \`action\` text not null, \`provider_id\` text not null, \`subject_type\` text not null, \`subject_id\` text not null, \`before\` json null, \`after\` json null);`);
    this.addSql(`create index \`audit_entry_provider_id\` on \`audit_entry\` (\`provider_id\`, \`id\`);`);

    this.addSql(`alter table \`provider\` add column \`version\` integer not null default 1;`);

    this.addSql(`alter table \`offer\` add column \`version\` integer not null default 1;`);
  }

}
