import { Migration } from '@mikro-orm/migrations';

export class Migration20261203180358_eu_membership extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`eu_membership\` (\`country\` text not null, \`member_from\` text not null, \`member_until\` text null, primary key (\`country\`, \`member_from\`));`);
    this.addSql(`alter table \`vat_rate\` drop column \`eu\`;`);
  }

}
