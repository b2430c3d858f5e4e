import { Migration } from '@mikro-orm/migrations';

export class Migration20261125061500_vat_rate extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`vat_rate\` (\`country\` text not null, \`valid_from\` text not null, \`rate\` text not null, \`eu\` integer not null, primary key (\`country\`, \`valid_from\`));`);
  }

}
