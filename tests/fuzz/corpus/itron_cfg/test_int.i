# 0 "test_int.cfg"
# 1 "test_int.cfg"
# 1 "test_int.h" 1
# 3 "test_int.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_int.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_int.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_int.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_int.cfg"
                                                                   });
CRE_TSK(TASK3, { 0U, 3, task3, 10, 4096U, 
# 6 "test_int.cfg" 3 4
                                                             ((void *)0) 
# 6 "test_int.cfg"
                                                                  });
CRE_SEM(SEM1, { 0x00U, 0, 1 });
CRE_FLG(FLG1, { 0x00U|0x00U, 0x00 });
CRE_DTQ(DTQ1, { 0x00U, 1, 
# 9 "test_int.cfg" 3 4
                            ((void *)0) 
# 9 "test_int.cfg"
                                 });
DEF_INH(16U, { 0U, inthdr1 });
CFG_INT(16U, { 0x01U|0U, (-2) });
