"""Every layout of the seed sheet the reader must handle: seedbook's LAYOUTS and variants met in the field."""
from seedbook import LAYOUTS, variant

VARIANTS = {
    **LAYOUTS,
    "moved_down_and_right": variant("seed", start_row=6, start_col=4, title_rows=3),
    "merged_newline_names": variant("seed", names="newline"),
    "repeated_no_weights": variant("repeated", weights="none"),
    "blank_text_scores": variant("blank", scores="text"),
    "fullwidth_repeated_page_headers": variant("fullwidth", levels="repeated", page_headers=True),
    "tree_order_merged": variant("seed", seed_pages=False),
    "formulas_moved": variant("formulas", start_row=3, start_col=2, title_rows=2),
    "formulas_text_scores": variant("formulas", scores="text"),
}
