DO $$ BEGIN
  IF (SELECT width FROM span_widths WHERE id = 1) <> 2 OR span_width(widen('[1,2)'::floatrange, 1)) <> 3 THEN
    RAISE 'functions do not work on the new type';
  END IF;
END $$;
