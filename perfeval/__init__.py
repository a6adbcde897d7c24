"""perfeval: recheck filled-in 绩效评价评分表 workbooks."""
__version__ = "0.1.0"
