import { Migration } from '@mikro-orm/migrations';

export class Migration20261203180532_access_codes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`license_access_code\` (\`id\` text not null, \`license_key\` text not null, \`hash\` text not null, \`issued_at\` datetime not null, \`issued_by\` text not null, \`revoked_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`license_access_code_license_key\` on \`license_access_code\` (\`license_key\`, \`revoked_at\`);`);

    this.addSql(`create table \`license_access_event\` (\`id\` integer not null primary key autoincrement, \`at\` datetime not null, \`license_key\` text not null, \`action\` text not null, \`actor_role\` text not null, \`actor_sub\` text null, \`actor_provider\` text null, \`code_id\` text null);`);
    this.addSql(`create index \`license_access_event_license_key\` on \`license_access_event\` (\`license_key\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`license_access_code\`;`);
    this.addSql(`drop table if exists \`license_access_event\`;`);
  }

}
