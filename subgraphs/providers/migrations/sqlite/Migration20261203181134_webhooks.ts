import { Migration } from '@mikro-orm/migrations';

export class Migration20261203181134_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`webhook_endpoint\` (\`id\` text not null, \`provider_id\` text not null, \`url\` text not null, \`events\` json not null, \`secret\` text not null, \`created_at\` datetime not null, constraint \`webhook_endpoint_provider_id_foreign\` foreign key(\`provider_id\`) references \`provider\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_endpoint_provider_id_index\` on \`webhook_endpoint\` (\`provider_id\`);`);

    this.addSql(`create table \`webhook_event\` (\`id\` text not null, \`type\` text not null, \`provider_ids\` json not null, \`body\` text not null, \`occurred_at\` datetime not null, \`recorded_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`webhook_delivery\` (\`id\` integer not null primary key autoincrement, \`endpoint_id\` text not null, \`event_id\` text not null, \`event_type\` text not null, \`status\` text not null, \`attempts\` integer not null, \`attempt_log\` json not null, \`last_response_status\` integer null, \`next_attempt_at\` datetime null, \`created_at\` datetime not null, \`delivered_at\` datetime null, \`lease_until\` datetime null, \`lease_owner\` text null, \`replay_of\` integer null, constraint \`webhook_delivery_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoint\`(\`id\`) on delete cascade on update cascade, constraint \`webhook_delivery_event_id_foreign\` foreign key(\`event_id\`) references \`webhook_event\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`webhook_delivery_endpoint_id_index\` on \`webhook_delivery\` (\`endpoint_id\`);`);
    this.addSql(`create index \`webhook_delivery_event_id_index\` on \`webhook_delivery\` (\`event_id\`);`);
    this.addSql(`create index \`webhook_delivery_endpoint\` on \`webhook_delivery\` (\`endpoint_id\`, \`id\`);`);
    this.addSql(`create index \`webhook_delivery_queue\` on \`webhook_delivery\` (\`status\`, \`endpoint_id\`, \`id\`);`);
  }

}
