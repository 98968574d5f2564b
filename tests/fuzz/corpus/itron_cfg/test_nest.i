# 0 "test_nest.cfg"
# 1 "test_nest.cfg"
# 1 "test_nest.h" 1
# 2 "test_nest.cfg" 2
CRE_TSK(MAIN_TASK, { 0x02U, 0, main_task, 5, 4096U, 
# 2 "test_nest.cfg" 3 4
                                                                     ((void *)0) 
# 2 "test_nest.cfg"
                                                                          });
DEF_INH(0U, { 0U, tick_handler });
DEF_INH(16U, { 0U, int1_handler });
CFG_INT(16U, { 0x01U, (-2) });
DEF_EXC(6U, { 0U, exc_handler });
