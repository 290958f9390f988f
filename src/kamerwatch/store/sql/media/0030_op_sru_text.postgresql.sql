ALTER TABLE op_publication ADD COLUMN listed TEXT;

ALTER TABLE op_publication ADD COLUMN text TEXT;
